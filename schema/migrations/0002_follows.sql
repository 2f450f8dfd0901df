ALTER TABLE `tickets` ADD `follows_ref` text;
